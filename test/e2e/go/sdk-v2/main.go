// A Terraform-like session with the AWS SDK for Go v2 against Castellan (test/e2e/compat-go.test.ts):
// the IAM lifecycle the AWS provider drives (create, read back, update in place, destroy in its order),
// STS (AssumeRole, the stscreds provider and its cache, GetSessionToken, a presigned
// GetCallerIdentity, DecodeAuthorizationMessage) and CloudTrail, with the SDK's paginators, waiters
// and typed errors. Built in GOPATH mode against Debian's golang-github-aws-aws-sdk-go-v2-dev (1.17).
// Reads CASTELLAN_URL, CASTELLAN_ACCOUNT_ID, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (root); prints
// one JSON line {"checks": N, "failures": [...], "requests": N}.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

var (
	ctx      = context.Background()
	failures = []string{}
	checks   int
	requests int
)

// check records a failed expectation; every call counts, so a skipped check changes the total.
func check(name string, ok bool, detail ...interface{}) {
	checks++
	if !ok {
		failures = append(failures, name+": "+fmt.Sprintf("%+v", detail))
	}
}

// ok records an unexpected error and says whether the call succeeded.
func ok(name string, err error) bool {
	check(name, err == nil, describe(err))
	return err == nil
}

func describe(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if errors.As(err, &ae) && errors.As(err, &re) {
		return fmt.Sprintf("%T %s (%d): %s", ae, ae.ErrorCode(), re.HTTPStatusCode(), ae.ErrorMessage())
	}
	return err.Error()
}

// expectErr checks an error's Go type (when target is given), code, HTTP status and request id.
func expectErr(name string, err error, target interface{}, code string, status int) {
	var ae smithy.APIError
	var re *awshttp.ResponseError
	good := err != nil && (target == nil || errors.As(err, target)) && errors.As(err, &ae) && ae.ErrorCode() == code &&
		errors.As(err, &re) && re.HTTPStatusCode() == status && re.ServiceRequestID() != ""
	check(name, good, fmt.Sprintf("want %s/%d, got %s", code, status, describe(err)))
}

// countRequests counts the HTTP requests sent (retries included), keeping the SDK's own HTTP client.
func countRequests(s *middleware.Stack) error {
	return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("countRequests", func(c context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		requests++
		return next.HandleFinalize(c, in)
	}), middleware.After)
}

func configFor(endpoint string, creds aws.CredentialsProvider) aws.Config {
	// The SDK of Debian (1.17) predates BaseEndpoint: a resolver, which must name the signing region.
	resolver := aws.EndpointResolverWithOptionsFunc(func(service, region string, _ ...interface{}) (aws.Endpoint, error) {
		return aws.Endpoint{URL: endpoint, SigningRegion: region, HostnameImmutable: true}, nil
	})
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"), config.WithEndpointResolverWithOptions(resolver),
		config.WithCredentialsProvider(creds), config.WithAPIOptions([]func(*middleware.Stack) error{countRequests}))
	if err != nil {
		panic(err)
	}
	return cfg
}

func static(id, secret, token string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(id, secret, token)
}

// decoded reads a URL-encoded policy document as IAM returns it.
func decoded(s *string) map[string]interface{} {
	text, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		return nil
	}
	return parsed(text)
}

func parsed(text string) map[string]interface{} {
	var m map[string]interface{}
	_ = json.Unmarshal([]byte(text), &m)
	return m
}

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func allow(actions ...string) string {
	b, _ := json.Marshal(map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{"Effect": "Allow", "Action": actions, "Resource": "*"}}})
	return string(b)
}

func main() {
	endpoint, account := os.Getenv("CASTELLAN_URL"), os.Getenv("CASTELLAN_ACCOUNT_ID")
	root := configFor(endpoint, static(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), ""))
	im, st, ct := iam.NewFromConfig(root), sts.NewFromConfig(root), cloudtrail.NewFromConfig(root)
	arn := func(kind, name string) string { return "arn:aws:iam::" + account + ":" + kind + "/" + name }
	waitFor := 30 * time.Second

	// aws_iam_user, aws_iam_access_key, aws_iam_user_login_profile
	user := "tf-user"
	cu, err := im.CreateUser(ctx, &iam.CreateUserInput{UserName: &user, Path: aws.String("/tf/"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("infra")}}})
	if ok("CreateUser", err) {
		check("CreateUser fields", aws.ToString(cu.User.Arn) == arn("user", "tf/"+user) && strings.HasPrefix(aws.ToString(cu.User.UserId), "AIDA") &&
			cu.User.CreateDate != nil && time.Since(*cu.User.CreateDate) < time.Hour && tagMap(cu.User.Tags)["team"] == "infra", cu.User)
	}
	ok("UserExists waiter", iam.NewUserExistsWaiter(im).Wait(ctx, &iam.GetUserInput{UserName: &user}, waitFor))
	_, err = im.CreateUser(ctx, &iam.CreateUserInput{UserName: &user})
	expectErr("CreateUser again", err, new(*types.EntityAlreadyExistsException), "EntityAlreadyExists", 409)
	_, err = im.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	expectErr("GetUser missing", err, new(*types.NoSuchEntityException), "NoSuchEntity", 404)
	_, err = im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad name!")})
	expectErr("CreateUser invalid name", err, nil, "ValidationError", 400)
	key := &types.AccessKey{}
	if ak, err := im.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: &user}); ok("CreateAccessKey", err) {
		key = ak.AccessKey
		check("CreateAccessKey fields", key.Status == types.StatusTypeActive && len(aws.ToString(key.SecretAccessKey)) == 40 && key.CreateDate != nil, key.Status)
	}
	_, err = im.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: &user, Password: aws.String("Tf-Passw0rd-long!"), PasswordResetRequired: true})
	ok("CreateLoginProfile", err)
	if lp, err := im.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: &user}); ok("GetLoginProfile", err) {
		check("GetLoginProfile fields", lp.LoginProfile.PasswordResetRequired && lp.LoginProfile.CreateDate != nil, lp.LoginProfile)
	}
	_, err = im.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: &user, PolicyName: aws.String("sts"), PolicyDocument: aws.String(allow("sts:AssumeRole", "sts:TagSession", "sts:DecodeAuthorizationMessage"))})
	ok("PutUserPolicy", err)

	// aws_iam_policy with five versions, and a boundary
	policy := "tf-policy"
	policyArn := arn("policy", "tf/"+policy)
	if cp, err := im.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: &policy, Path: aws.String("/tf/"), PolicyDocument: aws.String(allow("s3:GetObject"))}); ok("CreatePolicy", err) {
		check("CreatePolicy fields", aws.ToString(cp.Policy.Arn) == policyArn && aws.ToString(cp.Policy.DefaultVersionId) == "v1" && cp.Policy.IsAttachable && aws.ToInt32(cp.Policy.AttachmentCount) == 0, cp.Policy)
	}
	ok("PolicyExists waiter", iam.NewPolicyExistsWaiter(im).Wait(ctx, &iam.GetPolicyInput{PolicyArn: &policyArn}, waitFor))
	for i := 2; i <= 5; i++ {
		_, err := im.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &policyArn, PolicyDocument: aws.String(allow(fmt.Sprintf("s3:Get%d", i))), SetAsDefault: i == 5})
		ok(fmt.Sprintf("CreatePolicyVersion v%d", i), err)
	}
	_, err = im.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &policyArn, PolicyDocument: aws.String(allow("s3:Get6")), SetAsDefault: true})
	expectErr("CreatePolicyVersion sixth", err, new(*types.LimitExceededException), "LimitExceeded", 409)
	if pv, err := im.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &policyArn, VersionId: aws.String("v5")}); ok("GetPolicyVersion", err) {
		check("GetPolicyVersion document", pv.PolicyVersion.IsDefaultVersion && reflect.DeepEqual(decoded(pv.PolicyVersion.Document), parsed(allow("s3:Get5"))), aws.ToString(pv.PolicyVersion.Document))
	}
	_, err = im.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`)})
	expectErr("CreatePolicy malformed", err, new(*types.MalformedPolicyDocumentException), "MalformedPolicyDocument", 400)
	boundaryArn := arn("policy", "tf-boundary")
	_, err = im.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("tf-boundary"), PolicyDocument: aws.String(allow("*"))})
	ok("CreatePolicy boundary", err)

	// aws_iam_role with a trust policy, tags, a session length and a boundary; attachments; instance profile
	role := "tf-role"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + arn("user", "tf/"+user) + `"},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"sts:ExternalId":"tf-external"}}}]}`
	_, err = im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &role, AssumeRolePolicyDocument: &trust, Description: aws.String("tf role"), MaxSessionDuration: aws.Int32(7200),
		PermissionsBoundary: &boundaryArn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}, {Key: aws.String("gone"), Value: aws.String("soon")}}})
	ok("CreateRole", err)
	ok("RoleExists waiter", iam.NewRoleExistsWaiter(im).Wait(ctx, &iam.GetRoleInput{RoleName: &role}, waitFor))
	if gr, err := im.GetRole(ctx, &iam.GetRoleInput{RoleName: &role}); ok("GetRole", err) {
		r := gr.Role
		check("GetRole fields", strings.HasPrefix(aws.ToString(r.RoleId), "AROA") && aws.ToString(r.Description) == "tf role" && aws.ToInt32(r.MaxSessionDuration) == 7200 && r.CreateDate != nil, r)
		check("GetRole trust policy", reflect.DeepEqual(decoded(r.AssumeRolePolicyDocument), parsed(trust)), aws.ToString(r.AssumeRolePolicyDocument))
		check("GetRole boundary and tags", r.PermissionsBoundary != nil && aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn) == boundaryArn && len(r.Tags) == 2, r.PermissionsBoundary, r.Tags)
		check("GetRole never used", r.RoleLastUsed != nil && r.RoleLastUsed.LastUsedDate == nil, r.RoleLastUsed)
	}
	for _, p := range []string{policyArn, "arn:aws:iam::aws:policy/ReadOnlyAccess"} {
		_, err := im.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &role, PolicyArn: aws.String(p)})
		ok("AttachRolePolicy "+p, err)
	}
	_, err = im.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &role, PolicyName: aws.String("inline"), PolicyDocument: aws.String(allow("sqs:SendMessage"))})
	ok("PutRolePolicy", err)
	profile := "tf-profile"
	_, err = im.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: &profile})
	ok("CreateInstanceProfile", err)
	ok("InstanceProfileExists waiter", iam.NewInstanceProfileExistsWaiter(im).Wait(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: &profile}, waitFor))
	_, err = im.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: &profile, RoleName: &role})
	ok("AddRoleToInstanceProfile", err)

	// read back as the provider does
	if out, err := im.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &role}); ok("ListRolePolicies", err) {
		check("ListRolePolicies names", reflect.DeepEqual(out.PolicyNames, []string{"inline"}) && !out.IsTruncated, out.PolicyNames)
	}
	if out, err := im.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &role}); ok("ListAttachedRolePolicies", err) {
		arns := []string{}
		for _, p := range out.AttachedPolicies {
			arns = append(arns, aws.ToString(p.PolicyArn))
		}
		sort.Strings(arns)
		check("ListAttachedRolePolicies arns", reflect.DeepEqual(arns, []string{policyArn, "arn:aws:iam::aws:policy/ReadOnlyAccess"}), arns)
	}
	if out, err := im.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: &role}); ok("ListInstanceProfilesForRole", err) {
		check("ListInstanceProfilesForRole profile", len(out.InstanceProfiles) == 1 && len(out.InstanceProfiles[0].Roles) == 1 &&
			reflect.DeepEqual(decoded(out.InstanceProfiles[0].Roles[0].AssumeRolePolicyDocument), parsed(trust)), out.InstanceProfiles)
	}
	if out, err := im.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: &policyArn}); ok("ListEntitiesForPolicy", err) {
		check("ListEntitiesForPolicy role", len(out.PolicyRoles) == 1 && aws.ToString(out.PolicyRoles[0].RoleName) == role && len(out.PolicyUsers) == 0 && len(out.PolicyGroups) == 0, out.PolicyRoles)
	}

	// update in place
	_, err = im.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: &role, Description: aws.String("tf role 2"), MaxSessionDuration: aws.Int32(3600)})
	ok("UpdateRole", err)
	trust2 := strings.Replace(trust, `"sts:AssumeRole","sts:TagSession"`, `"sts:TagSession","sts:AssumeRole"`, 1)
	_, err = im.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: &role, PolicyDocument: &trust2})
	ok("UpdateAssumeRolePolicy", err)
	_, err = im.TagRole(ctx, &iam.TagRoleInput{RoleName: &role, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("empty"), Value: aws.String("")}}})
	ok("TagRole", err)
	_, err = im.UntagRole(ctx, &iam.UntagRoleInput{RoleName: &role, TagKeys: []string{"gone"}})
	ok("UntagRole", err)
	if out, err := im.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: &role}); ok("ListRoleTags", err) {
		check("ListRoleTags tags", reflect.DeepEqual(tagMap(out.Tags), map[string]string{"env": "prod", "empty": ""}), out.Tags)
	}
	if gr, err := im.GetRole(ctx, &iam.GetRoleInput{RoleName: &role}); ok("GetRole updated", err) {
		check("GetRole updated fields", aws.ToString(gr.Role.Description) == "tf role 2" && aws.ToInt32(gr.Role.MaxSessionDuration) == 3600 && reflect.DeepEqual(decoded(gr.Role.AssumeRolePolicyDocument), parsed(trust2)), gr.Role)
	}

	// Marker/IsTruncated paging
	for i := 0; i < 3; i++ {
		_, err := im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("page-%d", i)), Path: aws.String("/paged/")})
		ok("CreateUser paged", err)
	}
	pages, names := 0, []string{}
	for p := iam.NewListUsersPaginator(im, &iam.ListUsersInput{PathPrefix: aws.String("/paged/"), MaxItems: aws.Int32(2)}); p.HasMorePages() && pages < 5; pages++ {
		out, err := p.NextPage(ctx)
		if err != nil {
			check("ListUsers page", false, describe(err))
			break
		}
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	check("ListUsers paginator", pages == 2 && reflect.DeepEqual(names, []string{"page-0", "page-1", "page-2"}), pages, names)

	// STS as the user: AssumeRole with an external id, session tags and a session policy
	user1 := configFor(endpoint, static(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), ""))
	ust := sts.NewFromConfig(user1)
	if id, err := ust.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); ok("user GetCallerIdentity", err) {
		check("user identity", aws.ToString(id.Arn) == arn("user", "tf/"+user) && aws.ToString(id.Account) == account, id.Arn)
	}
	ar, err := ust.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(arn("role", role)), RoleSessionName: aws.String("tf-session"), ExternalId: aws.String("tf-external"),
		DurationSeconds: aws.Int32(900), Policy: aws.String(allow("sqs:SendMessage")), Tags: []ststypes.Tag{{Key: aws.String("project"), Value: aws.String("castellan")}}})
	if ok("AssumeRole", err) {
		c := ar.Credentials
		check("AssumeRole credentials", strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") && c.Expiration != nil && time.Until(*c.Expiration) > 800*time.Second && time.Until(*c.Expiration) <= 900*time.Second, c.Expiration)
		check("AssumeRole user", aws.ToString(ar.AssumedRoleUser.Arn) == "arn:aws:sts::"+account+":assumed-role/"+role+"/tf-session" && ar.PackedPolicySize != nil, ar.AssumedRoleUser, ar.PackedPolicySize)
		session := configFor(endpoint, static(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
		if id, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); ok("session GetCallerIdentity", err) {
			check("session identity", aws.ToString(id.Arn) == aws.ToString(ar.AssumedRoleUser.Arn), id.Arn)
		}
		// The session policy allows SQS only: IAM refuses, and says why in Castellan's header.
		_, err = iam.NewFromConfig(session).GetRole(ctx, &iam.GetRoleInput{RoleName: &role})
		expectErr("session GetRole denied", err, nil, "AccessDenied", 403)
		var re *awshttp.ResponseError
		message := ""
		if errors.As(err, &re) && re.Response != nil {
			message = re.Response.Header.Get("x-castellan-encoded-authorization-message")
		}
		if dm, err := ust.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: &message}); ok("DecodeAuthorizationMessage", err) {
			m := parsed(aws.ToString(dm.DecodedMessage))
			check("DecodedMessage", m["allowed"] == false && m["context"] != nil, aws.ToString(dm.DecodedMessage))
		}
	}
	_, err = ust.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(arn("role", role)), RoleSessionName: aws.String("tf-session"), ExternalId: aws.String("wrong-external")})
	expectErr("AssumeRole wrong external id", err, nil, "AccessDenied", 403)
	_, err = ust.DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("not-a-message")})
	expectErr("DecodeAuthorizationMessage garbage", err, new(*ststypes.InvalidAuthorizationMessageException), "InvalidAuthorizationMessageException", 400)

	// the provider's assume_role: stscreds behind the SDK's cache, one AssumeRole for many calls
	assumeCalls := 0
	countingSTS := sts.NewFromConfig(user1, func(o *sts.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("countAssumeRole", func(c context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				assumeCalls++
				return next.HandleInitialize(c, in)
			}), middleware.Before)
		})
	})
	provider := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(countingSTS, arn("role", role), func(o *stscreds.AssumeRoleOptions) {
		o.ExternalID = aws.String("tf-external")
		o.RoleSessionName = "terraform"
	}))
	assumed := sts.NewFromConfig(configFor(endpoint, provider))
	identities := []string{}
	for i := 0; i < 3; i++ {
		if id, err := assumed.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); ok("provider GetCallerIdentity", err) {
			identities = append(identities, aws.ToString(id.Arn))
		}
	}
	want := "arn:aws:sts::" + account + ":assumed-role/" + role + "/terraform"
	check("provider identity, cached", reflect.DeepEqual(identities, []string{want, want, want}) && assumeCalls == 1, identities, assumeCalls)

	// GetSessionToken: its credentials call STS, not IAM (no MFA)
	if gst, err := ust.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)}); ok("GetSessionToken", err) {
		c := gst.Credentials
		check("GetSessionToken credentials", c.Expiration != nil && time.Until(*c.Expiration) <= 900*time.Second, c.Expiration)
		session := configFor(endpoint, static(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
		if id, err := sts.NewFromConfig(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); ok("GetSessionToken identity", err) {
			check("GetSessionToken identity arn", aws.ToString(id.Arn) == arn("user", "tf/"+user), id.Arn)
		}
		_, err = iam.NewFromConfig(session).GetUser(ctx, &iam.GetUserInput{})
		expectErr("GetSessionToken calling IAM", err, nil, "InvalidClientTokenId", 403)
	}

	// a presigned GetCallerIdentity, as EKS-style authenticators send it (no X-Amz-Expires)
	if req, err := sts.NewPresignClient(st).PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); ok("PresignGetCallerIdentity", err) {
		body, status := "", 0
		if hr, err := http.NewRequest(req.Method, req.URL, nil); err == nil {
			if res, err := http.DefaultClient.Do(hr); err == nil {
				b, _ := io.ReadAll(res.Body)
				_ = res.Body.Close()
				body, status = string(b), res.StatusCode
			}
		}
		check("presigned GetCallerIdentity answers", status == 200 && strings.Contains(body, "<Arn>arn:aws:iam::"+account+":root</Arn>"), status, body)
	}

	// CloudTrail (JSON 1.1): the trail, and the events above through the paginator
	if out, err := ct.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{}); ok("DescribeTrails", err) {
		check("DescribeTrails trail", len(out.TrailList) == 1 && aws.ToString(out.TrailList[0].Name) == "castellan" && out.TrailList[0].IsMultiRegionTrail != nil, out.TrailList)
	}
	if out, err := ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("castellan")}); ok("GetTrailStatus", err) {
		check("GetTrailStatus logging", aws.ToBool(out.IsLogging) && out.StartLoggingTime != nil, out.IsLogging)
	}
	_, err = ct.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String("missing")})
	expectErr("GetTrailStatus missing", err, new(*cttypes.TrailNotFoundException), "TrailNotFoundException", 400)
	// The typed exception reads its message from "Message" only, as CloudTrail writes it.
	var notFound *cttypes.TrailNotFoundException
	check("TrailNotFoundException message", errors.As(err, &notFound) && strings.HasPrefix(notFound.ErrorMessage(), "Unknown trail: "), describe(err))
	_, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now()), EndTime: aws.Time(time.Now().Add(-time.Hour))})
	expectErr("LookupEvents time range", err, new(*cttypes.InvalidTimeRangeException), "InvalidTimeRangeException", 400)
	eventPages, events, wellFormed := 0, 0, true
	for p := cloudtrail.NewLookupEventsPaginator(ct, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(2),
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("CreateUser")}}}); p.HasMorePages() && eventPages < 10; eventPages++ {
		out, err := p.NextPage(ctx)
		if err != nil {
			check("LookupEvents page", false, describe(err))
			break
		}
		for _, e := range out.Events {
			events++
			record := parsed(aws.ToString(e.CloudTrailEvent))
			wellFormed = wellFormed && aws.ToString(e.EventName) == "CreateUser" && e.EventTime != nil && time.Since(*e.EventTime) < time.Hour &&
				aws.ToString(e.ReadOnly) == "false" && record["eventID"] == aws.ToString(e.EventId) && record["eventSource"] == "iam.amazonaws.com"
		}
	}
	// CreateUser was called six times: four users made, two refused (already exists, invalid name).
	check("LookupEvents paginator", events == 6 && eventPages == 3 && wellFormed, events, eventPages, wellFormed)

	// destroy in the provider's order: role (detach, inline, profiles), profile, user (force_destroy), policies
	_, err = im.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: &role})
	expectErr("DeleteRole attached", err, new(*types.DeleteConflictException), "DeleteConflict", 409)
	if out, err := im.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &role}); ok("destroy ListAttachedRolePolicies", err) {
		for _, p := range out.AttachedPolicies {
			_, err := im.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: &role, PolicyArn: p.PolicyArn})
			ok("DetachRolePolicy", err)
		}
	}
	_, err = im.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &role, PolicyName: aws.String("inline")})
	ok("DeleteRolePolicy", err)
	_, err = im.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{RoleName: &role, InstanceProfileName: &profile})
	ok("RemoveRoleFromInstanceProfile", err)
	_, err = im.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: &role})
	ok("DeleteRole", err)
	_, err = im.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: &profile})
	ok("DeleteInstanceProfile", err)
	_, err = im.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: &user})
	ok("DeleteLoginProfile", err)
	_, err = im.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: &user, AccessKeyId: key.AccessKeyId})
	ok("DeleteAccessKey", err)
	_, err = im.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: &user, PolicyName: aws.String("sts")})
	ok("DeleteUserPolicy", err)
	_, err = im.DeleteUser(ctx, &iam.DeleteUserInput{UserName: &user})
	ok("DeleteUser", err)
	_, err = im.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &policyArn})
	expectErr("DeletePolicy with versions", err, new(*types.DeleteConflictException), "DeleteConflict", 409)
	if out, err := im.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &policyArn}); ok("destroy ListPolicyVersions", err) {
		check("five versions, v5 default", len(out.Versions) == 5, out.Versions)
		for _, v := range out.Versions {
			if !v.IsDefaultVersion {
				_, err := im.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &policyArn, VersionId: v.VersionId})
				ok("DeletePolicyVersion", err)
			}
		}
	}
	for _, p := range []string{policyArn, boundaryArn} {
		_, err := im.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(p)})
		ok("DeletePolicy "+p, err)
	}
	// refresh after destroy: NoSuchEntity, which the provider reads as "removed"
	_, err = im.GetRole(ctx, &iam.GetRoleInput{RoleName: &role})
	expectErr("GetRole destroyed", err, new(*types.NoSuchEntityException), "NoSuchEntity", 404)
	_, err = im.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &policyArn})
	expectErr("GetPolicy destroyed", err, new(*types.NoSuchEntityException), "NoSuchEntity", 404)

	out, _ := json.Marshal(map[string]interface{}{"checks": checks, "failures": failures, "requests": requests})
	fmt.Println(string(out))
}
